print("baton-bench: no workloads yet")
