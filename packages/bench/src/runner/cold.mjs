// A fresh process: import one bundle, invoke its handler once, report timings.
// Plain JS with no loader, so nothing but Node itself runs before the import.
const bootMs = performance.now();
const { pathToFileURL } = await import("node:url");
const [bundle, exportName, eventJson] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const module = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
await module[exportName](JSON.parse(eventJson), {});
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
process.send?.({
  bootMs,
  importMs: t1 - t0,
  invokeMs: t2 - t1,
  totalMs: t2 - t0,
  cpuMs: (cpu.user + cpu.system) / 1000,
});
