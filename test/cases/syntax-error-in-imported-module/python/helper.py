value = 1

bad = {;
