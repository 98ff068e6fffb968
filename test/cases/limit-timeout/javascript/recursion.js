// Recurses until the stack overflows, catches that, and recurses again (exponentially many calls).
function dive(depth) {
  try {
    dive(depth + 1);
  } catch {
    dive(depth + 1);
  }
}
dive(0);
