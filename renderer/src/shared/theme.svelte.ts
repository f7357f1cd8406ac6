import type { Theme } from '../../../electron/ipc/channels';

const KEY = 'quarry.theme';

/** Dark by default; the choice is kept in the page's storage and mirrored to the native window chrome. */
class ThemeState {
  current = $state<Exclude<Theme, 'system'>>(localStorage.getItem(KEY) === 'light' ? 'light' : 'dark');

  apply(): void {
    document.documentElement.dataset.theme = this.current;
    void window.quarry?.desktop?.setTheme(this.current).catch(() => {});
  }

  set(theme: 'dark' | 'light'): void {
    this.current = theme;
    localStorage.setItem(KEY, theme);
    this.apply();
  }
}

export const theme = new ThemeState();
