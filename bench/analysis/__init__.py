"""The analysis benchmark of issue 3: import and exposure analysis on a synthetic city."""
