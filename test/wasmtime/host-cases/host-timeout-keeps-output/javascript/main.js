console.log("before");
console.error("err");
for (;;) {}
