/**
 * Hash routes (`#/runs/12`): no server to ask and nothing to reload, and the
 * back/forward buttons and deep links in tests work.
 */
export type Route =
  | { name: 'library' }
  | { name: 'hunt'; id: string }
  | { name: 'new-hunt' }
  | { name: 'runs' }
  | { name: 'run'; id: number }
  | { name: 'findings' }
  | { name: 'schedules' }
  | { name: 'connections' }
  | { name: 'deliveries' }
  | { name: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'hunts':
      if (parts[1] === 'new') return { name: 'new-hunt' };
      return parts[1] ? { name: 'hunt', id: parts[1] } : { name: 'library' };
    case 'runs': {
      const id = Number(parts[1]);
      return Number.isInteger(id) && id > 0 ? { name: 'run', id } : { name: 'runs' };
    }
    case 'findings':
    case 'schedules':
    case 'connections':
    case 'deliveries':
    case 'settings':
      return { name: parts[0] };
    default:
      return { name: 'library' };
  }
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'library':
      return '#/hunts';
    case 'hunt':
      return `#/hunts/${encodeURIComponent(route.id)}`;
    case 'new-hunt':
      return '#/hunts/new';
    case 'run':
      return `#/runs/${route.id}`;
    default:
      return `#/${route.name}`;
  }
}

class Router {
  route = $state<Route>(parseRoute(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => (this.route = parseRoute(location.hash)));
  }

  go(route: Route): void {
    const href = routeHref(route);
    if (location.hash === href) this.route = route;
    else location.hash = href;
  }
}

export const router = new Router();
