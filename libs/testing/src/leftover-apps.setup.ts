import { closeLeftoverTestApps } from './test-app';

// Every test file: close the servers it left open (see closeLeftoverTestApps), and say so, since a
// leftover means a hook timed out or a test forgot its afterAll.
afterAll(async () => {
  const closed = await closeLeftoverTestApps();
  if (closed > 0) console.warn(`[test-app] closed ${closed} test server(s) this file left open`);
}, 180_000);
