// Catches whatever stops the inner loop and goes on looping.
for (;;) {
  try {
    while (true) {}
  } catch {}
}
