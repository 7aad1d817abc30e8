#!/usr/bin/env bash
# Every benchmark, one after another (about 15-25 minutes on 2 cores); figures go to stdout.
# Needs the venv of the README's test command; Taskwarrior (taskwarrior) and TaskJuggler (tj3)
# from Debian are used for side-by-side figures when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
echo "## CLI start-up beside Taskwarrior";  $py bench/cli_bench.py --tasks 10000 --runs 11
echo "## CPM and forecast";                 $py bench/cpm_bench.py
echo "## Schedule and leveling";            $py bench/schedule_bench.py
echo "## PSPLIB";                           $py bench/psplib_bench.py --set both
echo "## Daily queue";                      $py bench/queue_bench.py
echo "## Stores shaped like users' data";   $py bench/user_bench.py --runs 11
echo "## Import";                           $py bench/import_bench.py
echo "## TUI";                              $py bench/tui_bench.py
echo "## CalDAV sync";                      $py bench/caldav_bench.py
echo "## Portfolio leveling";               $py bench/portfolio_bench.py --runs 3
echo "## Gantt arrows";                     $py bench/gantt_arrows_bench.py
