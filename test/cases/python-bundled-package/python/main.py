from tabulate import tabulate

print(tabulate([["alpha", 1], ["beta", 22]], headers=["name", "n"]))
