"""Tests of the Textual app: Pilot flows, snapshots, live refresh and the browser face."""
