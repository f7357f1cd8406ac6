import type { QuarryClient } from '../../engine/client';

declare global {
  interface Window {
    /** The engine API, exposed by the preload (or by the e2e bridge in tests). */
    quarry: QuarryClient;
  }
}

export {};
