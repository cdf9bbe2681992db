# bench/run-optimizer.sh - sourced by bench/run.sh: the optimizer's quality against the
# exhaustive optimum on small random instances, and its speed on a large one.
echo
echo "== optimizer: utility / exhaustive optimum (1,000 random instances)"
"$build/bench/opt-ratio"
