# A builtin the guest's sys.monitoring deadline cannot interrupt: only the host's epoch deadline stops it.
print("start", flush=True)
print(sum(range(10**13)))
