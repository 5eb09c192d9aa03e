"""On-site badge printing: print stations (paired devices) and their queue of print jobs."""
