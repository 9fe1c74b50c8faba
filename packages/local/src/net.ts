import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export class PortInUseError extends Error {
  constructor(
    public readonly port: number,
    public readonly variable: string,
  ) {
    super(`Port ${port} is already in use. Stop what uses it, or set ${variable} to another port.`);
    this.name = "PortInUseError";
  }
}

/** Listens and resolves with the bound port; a busy port names the variable that moves it. */
export function listen(server: Server, port: number, host: string, variable = "a port variable") {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, variable) : error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

export function close(server: Server) {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function readBody(request: import("node:http").IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
