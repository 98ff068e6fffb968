import pkg
from pkg import helper

print("pkg", pkg.VERSION, "helper", helper.VALUE)
