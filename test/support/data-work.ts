// The data-analysis conversation the data-work tests hold through the library, HTTP and MCP: a CSV, a script that
// groups it with pandas, fits a line with numpy and saves a matplotlib PNG (paths relative to its working directory),
// and what it must print.

/** Node 24's V8 runs the data-work interpreter (exception handling and GC types); older Nodes get the error naming it. */
export const DATA_SUPPORTED = Number(process.versions.node.split('.')[0]) >= 24;

export const SALES_CSV = 'region,month,amount\nnorth,1,10\nsouth,2,12\nnorth,3,14\nwest,4,16\nsouth,5,18\n';

export const ANALYSIS_PY = `import numpy as np
import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
df = pd.read_csv("sales.csv")
totals = df.groupby("region")["amount"].sum()
print(totals.to_dict())
slope, intercept = np.polyfit(df["month"], df["amount"], 1)
print(round(slope, 6), round(intercept, 6))
fig, ax = plt.subplots()
totals.plot.bar(ax=ax)
fig.savefig("totals.png")
`;

/** What ANALYSIS_PY prints for SALES_CSV (amount = 2 * month + 8). */
export const ANALYSIS_STDOUT = "{'north': 24, 'south': 30, 'west': 16}\n2.0 8.0\n";

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
