// One process, every case loaded once, then invoked in interleaved rounds so
// that drift on a noisy machine hits all cases alike. Plain JS: no loader.
const { pathToFileURL } = await import("node:url");
const { cases, iterations, warmup } = JSON.parse(process.argv[2]);
const loaded = [];
for (const c of cases) {
  const module = await import(pathToFileURL(c.bundle).href);
  loaded.push({ ...c, fn: module[c.exportName], template: JSON.stringify(c.args) });
}
const times = Object.fromEntries(cases.map((c) => [c.name, []]));
for (let i = 0; i < warmup + iterations; i++) {
  const id = `${process.pid}-${i}`;
  // Alternate the order each round: the first call of a round may pay for a socket.
  const round = i % 2 === 0 ? loaded : [...loaded].reverse();
  for (const c of round) {
    const args = JSON.parse(c.template.replaceAll("{{id}}", `${c.name.replace(/\W+/g, "")}-${id}`));
    const t0 = performance.now();
    await c.fn(...args);
    const elapsed = performance.now() - t0;
    if (i >= warmup) times[c.name].push(elapsed);
  }
}
process.send?.({ times });
