# entry points are pollute.py and check.py
