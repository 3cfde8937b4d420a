#!/usr/bin/env python3
"""A BI dashboard reading shopseg's current_* views in a loop, as a separate process.

Usage: bi_reader.py DATABASE STOP_FILE
Reads until STOP_FILE exists, then prints one JSON object: reads, errors (e.g. "database is
locked"), inconsistent snapshots (a read that saw parts of two runs or half a run) and the
run ids seen. Each read is one transaction, as a dashboard's query would be.
"""
import json
import os
import sqlite3
import sys
import time

database, stop_file = sys.argv[1], sys.argv[2]
reads, errors, inconsistent, runs = 0, [], [], set()
connection = sqlite3.connect(database, timeout=30, isolation_level=None)
while not os.path.exists(stop_file):
    try:
        connection.execute("begin")
        run = connection.execute("select run_id, n_users, status from current_run").fetchone()
        users = connection.execute(
            "select count(*), count(distinct run_id), min(run_id) from current_user_segments").fetchone()
        segments = connection.execute(
            "select coalesce(sum(size), 0), count(distinct run_id), min(run_id) from current_segments").fetchone()
        profiles = connection.execute(
            "select count(distinct segment_id), min(run_id) from current_segment_profiles").fetchone()
        connection.execute("commit")
        reads += 1
        if run is None:
            continue
        run_id, n_users, status = run
        runs.add(run_id)
        problems = []
        if status != "published":
            problems.append(f"current run {run_id} is {status}")
        if users[0] != n_users or users[1] != 1 or users[2] != run_id:
            problems.append(f"user_segments {users} vs run {run_id} with {n_users} users")
        if segments[0] != n_users or segments[1] != 1 or segments[2] != run_id:
            problems.append(f"segments {segments} vs run {run_id}")
        if profiles[1] != run_id:
            problems.append(f"profiles {profiles} vs run {run_id}")
        if problems:
            inconsistent.append("; ".join(problems))
    except sqlite3.Error as error:
        errors.append(str(error))
        try:
            connection.execute("rollback")
        except sqlite3.Error:
            pass
    time.sleep(0.002)
print(json.dumps({"reads": reads, "errors": errors[:5], "error_count": len(errors),
                  "inconsistent": inconsistent[:5], "inconsistent_count": len(inconsistent),
                  "runs_seen": sorted(runs)}))
