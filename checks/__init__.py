"""seloste's checks: policy lint, snapshots, flows; findings, reports and the command line."""
