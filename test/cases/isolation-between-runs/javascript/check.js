const polluted = [typeof leak !== 'undefined', [].leak !== undefined, ({}).leak2 !== undefined, ' x '.trim() !== 'x', Math.max(1, 2) !== 2,
  require('fs').readFileSync.toString().includes('patched'), JSON.parse('1') !== 1];
Array.prototype.ok = 1; // must still be extensible
console.log(polluted.some(Boolean) || [].ok !== 1 ? `polluted: ${polluted}` : 'clean');
