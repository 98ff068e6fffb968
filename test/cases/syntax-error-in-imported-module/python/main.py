import helper
print(helper.value)
