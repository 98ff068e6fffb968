console.log("still here");
