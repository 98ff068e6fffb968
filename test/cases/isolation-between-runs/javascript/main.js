// entry points are pollute.js and check.js
