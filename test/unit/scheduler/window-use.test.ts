import { describe, expect, it } from 'vitest';
import { windowWarning } from '../../../engine/scheduler/window-use.js';

describe('whether a scheduled query sees its window', () => {
  it('takes KQL as bounded (the window is the request timespan) and SQL only where it uses @start and @end', () => {
    expect(windowWarning('kql', 'SigninLogs | take 10')).toBeNull();
    expect(windowWarning('sql', 'SELECT * FROM t WHERE ts >= @start AND ts < @end')).toBeNull();
    expect(windowWarning('tsql', 'SELECT @@ROWCOUNT, [@start] FROM dbo.t WHERE TimeGenerated >= @Start AND TimeGenerated < @END')).toBeNull();
    expect(windowWarning('tsql', "SELECT * FROM dbo.t /* @start */ WHERE x = '@end' -- @start")).toMatch(/^the query does not use @start\/@end/);
    expect(windowWarning('sql', 'SELECT * FROM t WHERE ts >= @start')).toMatch(/^the query uses @start but not @end/);
    expect(windowWarning('sql', 'SELECT * FROM t WHERE ts < :end')).toMatch(/^the query uses @end but not @start/);
  });
});
