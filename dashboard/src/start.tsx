import { createRoot } from 'react-dom/client';
import { App } from './App';

/** The application, loaded by main.tsx once the first screen's requests are on their way. */
export function start(root: HTMLElement): void {
  createRoot(root).render(<App />);
}
