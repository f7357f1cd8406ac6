import type { ApiMethod } from '../api.js';
import type { Dispatch } from '../dispatch.js';
import { QuarryError } from '../errors.js';
import type { PathAccess, PathGrants } from './path-grants.js';

interface PathUse {
  path: unknown;
  access: PathAccess;
}
type Args = Record<string, unknown>;

const localDbFile = (a: Args): PathUse[] => {
  const settings = a.settings;
  if (typeof settings !== 'object' || settings === null || !Object.hasOwn(settings, 'file')) return [];
  // A local connection's SQLite file is created, written and queried: as good as a write anywhere.
  return [{ path: (settings as Args).file, access: 'write' }];
};

/**
 * Every API argument that names a file the engine reads or writes. A method
 * added with a path must be listed here (test/unit/transport/path-guard.test.ts
 * walks the schemas to check).
 */
export const pathArguments: Partial<Record<ApiMethod, (a: Args) => PathUse[]>> = {
  'logs.import': (a) => [{ path: a.file, access: 'read' }],
  'hunts.import': (a) => (Array.isArray(a.paths) ? a.paths : [a.paths]).map((p) => ({ path: p, access: 'read' as const })),
  'reports.export': (a) => (a.path === undefined ? [] : [{ path: a.path, access: 'write' }]),
  'connections.add': localDbFile,
  'connections.update': localDbFile,
};

/**
 * The dispatcher a window's port gets: calls that name a file go through only
 * if the user picked that file in main's dialog for that kind of access (see
 * path-grants.ts). The CLI and tests call the plain dispatcher, with any path.
 */
export function guardPaths(dispatch: Dispatch, grants: PathGrants): Dispatch {
  return async (method, args) => {
    const uses = Object.hasOwn(pathArguments, method) && typeof args === 'object' && args !== null ? pathArguments[method as ApiMethod]!(args as Args) : [];
    for (const use of uses) {
      if (use.path === undefined) continue; // a required one missing: the dispatcher's schema says so
      if (typeof use.path !== 'string') throw new QuarryError('invalid_input', `${method}: a file path must be a string`);
      if (!grants.allows(use.path, use.access)) {
        const verb = use.access === 'read' ? 'read' : 'write to';
        throw new QuarryError('forbidden', `${method}: ${use.path} was not chosen in a file dialog, so Quarry will not ${verb} it from a window (choose it again, or use the quarry CLI)`);
      }
    }
    for (const use of uses) if (typeof use.path === 'string') grants.use(use.path, use.access);
    return dispatch(method, args);
  };
}
