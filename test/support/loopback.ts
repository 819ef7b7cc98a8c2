// Starts a test HTTP server on 127.0.0.1 (a free port) and gives its URL and a close that also
// drops kept-alive SDK connections, so a test file's endpoints stop cleanly.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export async function listenOnLoopback(
  server: Server,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
