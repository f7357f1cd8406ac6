import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { highSeverityFinding, notifyHighSeverityFindings } from '../../../electron/main/notifications.js';
import { engineScheduleActions, trayMenuTemplate } from '../../../electron/main/tray.js';

describe('finding notifications', () => {
  it('notifies for new high-severity findings only', () => {
    const events = new EventEmitter();
    const show = vi.fn();
    const open = vi.fn();
    expect(notifyHighSeverityFindings({ events }, ['finding.created'], { isSupported: () => true, show }, open)).toBe(true);
    events.emit('finding.created', { id: 'f1', severity: 'medium', title: 'meh' });
    events.emit('finding.created', { id: 'f2', severity: 'High', title: 'Password spray from 203.0.113.7', huntName: 'Password spray' });
    expect(show).toHaveBeenCalledTimes(1);
    expect(show.mock.calls[0]![0]).toBe('High-severity finding: Password spray from 203.0.113.7');
    show.mock.calls[0]![2]();
    expect(open).toHaveBeenCalled();
  });

  it('does nothing on an engine without the finding.created event', () => {
    const events = new EventEmitter();
    expect(notifyHighSeverityFindings({ events }, ['run.finished'], { isSupported: () => true, show: vi.fn() }, vi.fn())).toBe(false);
    expect(events.listenerCount('finding.created')).toBe(0);
  });

  it('ignores payloads that are not findings', () => {
    expect(highSeverityFinding(null)).toBeNull();
    expect(highSeverityFinding('high')).toBeNull();
    expect(highSeverityFinding({ severity: 'high' })).toEqual({ id: '', title: 'New high-severity finding', huntName: undefined });
  });
});

describe('tray schedule actions', () => {
  it('calls the engine and reports the outcome', async () => {
    const call = vi.fn(async () => ({}));
    const report = vi.fn();
    const actions = engineScheduleActions({ has: () => true, call }, report);
    expect(actions.available).toBe(true);
    actions.pauseAll();
    await new Promise((r) => setTimeout(r, 0));
    expect(call).toHaveBeenCalledWith('schedules.pauseAll');
    expect(report).toHaveBeenCalledWith('All schedules are paused.');
    const failing = engineScheduleActions({ has: () => true, call: async () => Promise.reject(new Error('store is locked')) }, report);
    failing.resumeAll();
    await new Promise((r) => setTimeout(r, 0));
    expect(report).toHaveBeenLastCalledWith('Could not resume schedules: store is locked');
  });

  it('greys out pause/resume without the schedules API', () => {
    const actions = engineScheduleActions({ has: (m) => m !== 'schedules.resumeAll', call: vi.fn() }, vi.fn());
    const menu = trayMenuTemplate(actions, { show: vi.fn(), quit: vi.fn() });
    expect(menu.filter((i) => /schedules/i.test(String(i.label))).every((i) => i.enabled === false)).toBe(true);
  });
});
