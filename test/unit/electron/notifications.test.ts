import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { highSeverityFinding, notifyHighSeverityFindings, raisedToHighFinding } from '../../../electron/main/notifications.js';
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

  it('notifies when an open finding is raised to high later, once, and not for other updates', () => {
    const events = new EventEmitter();
    const show = vi.fn();
    const open = vi.fn();
    expect(notifyHighSeverityFindings({ events }, ['finding.created', 'finding.updated'], { isSupported: () => true, show }, open)).toBe(true);
    const finding = { id: 7, title: 'Password spray: 198.51.100.23', huntName: 'Password spray', verdict: 'malicious' };
    // A re-hit that leaves it medium, then the verdict that raises it, then a re-hit of a finding already high.
    events.emit('finding.updated', { ...finding, severity: 'medium', previousSeverity: 'medium', cause: 'rehit' });
    events.emit('finding.updated', { ...finding, severity: 'high', previousSeverity: 'medium', cause: 'verdict' });
    events.emit('finding.updated', { ...finding, severity: 'high', previousSeverity: 'high', cause: 'rehit' });
    expect(show).toHaveBeenCalledTimes(1);
    expect(show.mock.calls[0]!.slice(0, 2)).toEqual(['Finding raised to high: Password spray: 198.51.100.23', 'Threat intel says malicious. From hunt "Password spray"']);
    show.mock.calls[0]![2]();
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('subscribes to finding.updated alone when that is all the engine has', () => {
    const events = new EventEmitter();
    const show = vi.fn();
    expect(notifyHighSeverityFindings({ events }, ['finding.updated'], { isSupported: () => true, show }, vi.fn())).toBe(true);
    expect(events.listenerCount('finding.created')).toBe(0);
    events.emit('finding.updated', { id: 1, title: 't', severity: 'high', previousSeverity: 'low', cause: 'rehit' });
    expect(show).toHaveBeenCalledWith('Finding raised to high: t', 'Open Quarry to review it.', expect.any(Function));
  });

  it('does nothing where notifications are not supported', () => {
    const events = new EventEmitter();
    expect(notifyHighSeverityFindings({ events }, ['finding.created', 'finding.updated'], { isSupported: () => false, show: vi.fn() }, vi.fn())).toBe(false);
    expect(events.listenerCount('finding.created') + events.listenerCount('finding.updated')).toBe(0);
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
    expect(raisedToHighFinding({ severity: 'high' })).toBeNull(); // no previousSeverity: not an update
    expect(raisedToHighFinding({ severity: 'high', previousSeverity: 'High' })).toBeNull();
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
