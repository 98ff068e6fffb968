// A catch-all inside async code and an arrow callback driven by a builtin.
async function spin() {
  for (;;) {
    try {
      await null;
      new Array(1e6).fill(0).forEach((x) => x + 1);
    } catch {}
  }
}
spin().catch(() => {});
