#!/usr/bin/env bash
# End-to-end tests of the `mtl` command line. Usage: cli_test.sh MTL EXAMPLES_DIR CASE
# Each case runs the real binary on real files and checks exit status, output and files written.
set -u
MTL=$1
EXAMPLES=$2
CASE=$3
SOURCE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
expect_status() { # expected actual what
    [ "$1" = "$2" ] || fail "$3: exit status $2, expected $1"
}
expect_contains() { # file text
    grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "'$2' not in $1"; }
}
expect_line() { # file extended-regex
    grep -qE -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "no line like '$2' in $1"; }
}
# Column $2 (1-based) of the first and last epoch rows of a `mtl train` table in file $1.
first_last() {
    awk -v c="$2" '$1 ~ /^[0-9]+$/ && NF > 3 { v[n++] = $c } END { print v[0], v[n-1] }' "$1"
}
expect_falls() { # file column what
    read -r first last < <(first_last "$1" "$2")
    [ -n "$first" ] && [ -n "$last" ] || fail "$3: no epoch rows"
    awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < 0.6 * a) }' ||
        fail "$3: loss went from $first to $last, expected a fall of at least 40 %"
}

case "$CASE" in
help)
    "$MTL" --help >out 2>err; expect_status 0 $? "mtl --help"
    expect_contains out "train PROJECT.mtl.json"
    "$MTL" train --help >out; expect_status 0 $? "mtl train --help"
    expect_contains out "--epochs N"
    "$MTL" help check >out; expect_status 0 $? "mtl help check"
    expect_contains out "Exit status 1 if there is any error"
    "$MTL" >out 2>err; expect_status 2 $? "mtl without a command"
    ;;
train_hard | train_soft)
    project="$EXAMPLES/synthetic-hard.mtl.json"
    [ "$CASE" = train_soft ] && project="$EXAMPLES/synthetic-soft.mtl.json"
    "$MTL" train "$project" --epochs 8 --out run >out 2>err; expect_status 0 $? "mtl train"
    expect_contains out "task1 train"
    expect_contains out "task3 val"
    # Columns: epoch, then (train, val) per task: task1 val is 3, task2 val 5, task3 val 7.
    expect_falls out 3 "task1 validation"
    expect_falls out 5 "task2 validation"
    expect_falls out 7 "task3 validation"
    [ "$(wc -l <run/metrics.csv)" -eq $((1 + 8 * 3)) ] || fail "metrics.csv should have 1 + 8×3 lines"
    head -c 8 run/model.mtlmodel | grep -q MTLMODEL || fail "model.mtlmodel is not a model file"
    grep -q $'\r' out && fail "piped output must not contain progress-bar carriage returns"
    [ ! -s err ] || fail "unexpected stderr: $(cat err)"
    ;;
sharing_override)
    "$MTL" train "$EXAMPLES/synthetic-hard.mtl.json" --epochs 6 --sharing soft:0.05 --out run >out 2>&1
    expect_status 0 $? "mtl train --sharing soft:0.05"
    expect_falls out 3 "task1 validation (soft override)"
    "$MTL" train "$EXAMPLES/synthetic-hard.mtl.json" --sharing medium >out 2>err
    expect_status 2 $? "bad --sharing"
    expect_contains err "--sharing expects hard, soft or soft:λ, got 'medium'"
    ;;
deterministic)
    "$MTL" train "$EXAMPLES/synthetic-soft.mtl.json" --epochs 3 --seed 5 --threads 1 --out a >/dev/null || fail "run a"
    "$MTL" train "$EXAMPLES/synthetic-soft.mtl.json" --epochs 3 --seed 5 --threads 1 --out b >/dev/null || fail "run b"
    "$MTL" train "$EXAMPLES/synthetic-soft.mtl.json" --epochs 3 --seed 6 --threads 1 --out c >/dev/null || fail "run c"
    # Column 3 is wall time; everything else must agree.
    cut -d, -f1,2,4- a/metrics.csv >a.csv; cut -d, -f1,2,4- b/metrics.csv >b.csv; cut -d, -f1,2,4- c/metrics.csv >c.csv
    cmp -s a.csv b.csv || fail "same seed gave different metrics"
    cmp -s a/model.mtlmodel b/model.mtlmodel || fail "same seed gave different weights"
    cmp -s a.csv c.csv && fail "a different seed gave the same metrics"
    true
    ;;
check)
    "$MTL" check "$EXAMPLES/synthetic-classification.mtl.json" >out 2>err; expect_status 0 $? "mtl check (valid)"
    expect_contains out "ok: 3 tasks"
    sed 's/"units": 64,/"units": 0,/' "$EXAMPLES/synthetic-hard.mtl.json" >bad.mtl.json
    "$MTL" check bad.mtl.json >out 2>err; expect_status 1 $? "mtl check (invalid)"
    expect_contains out "bad.mtl.json: error: node 'shared1' (units): must be at least 1"
    "$MTL" train bad.mtl.json >out 2>err; expect_status 1 $? "mtl train (invalid)"
    expect_contains err "node 'shared1' (units): must be at least 1"
    ;;
bad_files)
    printf '{\n  "format_version": 1,\n  "name": oops\n}\n' >broken.mtl.json
    "$MTL" train broken.mtl.json >out 2>err; expect_status 1 $? "malformed JSON"
    expect_contains err "mtl: error: broken.mtl.json:3:11: not valid JSON"
    [ "$(wc -l <err)" -eq 1 ] || fail "expected one line on stderr, got: $(cat err)"
    "$MTL" check missing.mtl.json >out 2>err; expect_status 1 $? "missing file"
    expect_contains err "cannot read 'missing.mtl.json'"
    sed 's/"epochs": 20,/"epochs": "many",/' "$EXAMPLES/synthetic-hard.mtl.json" >typed.mtl.json
    "$MTL" train typed.mtl.json >out 2>err; expect_status 1 $? "wrong type"
    expect_contains err "typed.mtl.json: training.epochs: expected a whole number, found \"many\""
    sed 's/"format_version": 1,/"format_version": 1, "colour": "red",/' "$EXAMPLES/synthetic-hard.mtl.json" >future.mtl.json
    "$MTL" check future.mtl.json >out 2>err; expect_status 0 $? "unknown field"
    expect_contains err "mtl: warning: future.mtl.json: colour: unknown field"
    "$MTL" train "$EXAMPLES/synthetic-hard.mtl.json" --epochs zero >out 2>err; expect_status 2 $? "bad --epochs"
    expect_contains err "--epochs expects a whole number ≥ 1, got 'zero'"
    "$MTL" train "$EXAMPLES/synthetic-hard.mtl.json" --frobnicate >out 2>err; expect_status 2 $? "unknown option"
    expect_contains err "unknown option --frobnicate for 'mtl train'"
    "$MTL" fly >out 2>err; expect_status 2 $? "unknown command"
    ;;
diverged)
    # Plain SGD at a huge learning rate: the loss overflows within the first epochs.
    sed 's/"kind": "adam",/"kind": "sgd",/; s/"learning_rate": 0.001,/"learning_rate": 1000000.0,/' \
        "$EXAMPLES/synthetic-hard.mtl.json" >wild.mtl.json
    "$MTL" train wild.mtl.json --out run >out 2>err; expect_status 3 $? "diverging run"
    expect_contains err "mtl: training diverged: the loss of task"
    expect_contains err "weights restored"
    [ -f run/metrics.csv ] || fail "a diverged run still writes its metrics"
    ;;
csv_columns)
    # A table as people have them: a name per row, dates, a numeric column with one stray text
    # value. The target follows the season (month of the date) and x.
    awk 'BEGIN {
        srand(7); print "Name,day,x,y,kind"
        for (i = 0; i < 600; i++) {
            m = i % 12 + 1; d = int(i / 12) % 28 + 1; x = rand() * 2 - 1
            y = 3 * sin(6.2832 * (m - 1) / 12) + x + 0.1 * rand()
            printf "item %d,%d/%02d/%02d,%s,%.4f,%s\n", i * 7919 % 600, 2010 + int(i / 336), m, d,
                   (i == 40 ? "n/a?" : sprintf("%.4f", x)), y, (y > 0 ? "up" : "down")
        }
    }' >t.csv
    "$MTL" train --csv t.csv --task y=y --epochs 2 >out 2>err
    expect_status 1 $? "a numeric column with a stray text value"
    expect_contains err "t.csv: column 'x': numbers but for 1 text value (line 42 'n/a?')"
    expect_contains err "--text-as-missing x"
    "$MTL" train --csv t.csv --task y=y --task kind=kind --text-as-missing x --epochs 40 --out run >out 2>err
    expect_status 0 $? "mtl train --csv with dates and names"
    expect_line out "^  Name +ignore +identifier +— +0 +600$"
    expect_line out "^  day +input +date +7 date features \(yyyy/mm/dd\) +0 +600$"
    expect_line out "^  x +input +numeric with text +numeric +0 +591$"
    expect_contains out "Name: ignored: a distinct value in every row, an identifier"
    expect_contains out "(--include Name to use it)"
    expect_contains out "x: 1 text value read as missing (line 42 'n/a?')"
    expect_contains out "Tasks from t.csv: 2 tasks, "
    r2=$(awk '/  y: loss/ { for (i = 1; i <= NF; i++) if ($i == "r2") print $(i + 1) }' out)
    awk -v r="$r2" 'BEGIN { exit !(r > 0.9) }' || fail "y r2 $r2 with the date's features, expected above 0.9"
    "$MTL" train --csv t.csv --task y=y --text-as-missing x --ignore day,kind --epochs 40 --out run2 >out2 2>err
    r2=$(awk '/  y: loss/ { for (i = 1; i <= NF; i++) if ($i == "r2") print $(i + 1) }' out2)
    awk -v r="$r2" 'BEGIN { exit !(r < 0.5) }' || fail "y r2 $r2 without the date, expected below 0.5"
    "$MTL" predict run/model.mtlmodel t.csv --out pred.csv 2>err
    expect_status 0 $? "mtl predict with dates and text read as missing"
    [ "$(wc -l <pred.csv)" -eq 601 ] || fail "one prediction per row"
    "$MTL" init --csv t.csv --task y=y --text-as-missing x --out p.mtl.json 2>err
    expect_status 0 $? "mtl init"
    expect_contains err "columns of t.csv (600 rows):"
    expect_contains p.mtl.json '"Name": "ignore"'
    expect_contains p.mtl.json '"day": "date"'
    expect_contains p.mtl.json '"x": "numeric_text_as_missing"'
    "$MTL" train --csv t.csv --task y=y --text-as-missing x --include Name --epochs 1 --out run3 >out 2>err
    expect_status 0 $? "an identifier included"
    expect_contains out "Name: warning: 600 categories for 600 rows"
    ;;
csv_train_predict)
    # Train straight from a CSV with a regression and a classification task, then predict.
    houses="$EXAMPLES/houses.csv"
    "$MTL" train --csv "$houses" --task price=price_keur --task energy=energy_class \
        --ignore id,address --epochs 25 --out run >out 2>err
    expect_status 0 $? "mtl train --csv"
    expect_contains out "Tasks from houses.csv: 2 tasks"
    expect_falls out 3 "price validation"
    r2=$(awk '/price: loss/ { for (i = 1; i <= NF; i++) if ($i == "r2") print $(i + 1) }' out)
    awk -v r="$r2" 'BEGIN { exit !(r > 0.9) }' || fail "price r2 $r2, expected above 0.9"
    "$MTL" predict run/model.mtlmodel "$houses" --out pred.csv 2>err
    expect_status 0 $? "mtl predict"
    expect_contains pred.csv "price,energy,p(energy=A),"
    [ "$(wc -l <pred.csv)" -eq "$(wc -l <"$houses")" ] || fail "one prediction per input row"
    # Predicted prices are in k€ like the column: their mean is near the column's.
    # The address holds quoted commas: count the price from the end of the row.
    awk -F, 'NR == FNR { if (FNR > 1 && $(NF - 1) != "NA") { s += $(NF - 1); n++ } next }
             FNR > 1 { p += $1; m++ }
             END { a = s / n; b = p / m; exit !(b > 0.8 * a && b < 1.2 * a) }' "$houses" pred.csv ||
        fail "predicted prices are not on the price column's scale"
    "$MTL" predict run/model.mtlmodel "$EXAMPLES/synthetic-hard.mtl.json" >out 2>err
    expect_status 1 $? "predict on a file without the model's columns"
    expect_contains err "no column 'city'"
    ;;
init)
    mkdir -p data projects
    cp "$EXAMPLES/houses.csv" data/
    "$MTL" init --csv data/houses.csv --task price=price_keur --task energy=energy_class:classification \
        --ignore id,address --hidden 32 --sharing soft:0.01 --out projects/houses.mtl.json 2>err
    expect_status 0 $? "mtl init"
    expect_contains projects/houses.mtl.json '"path": "../data/houses.csv"'
    expect_contains projects/houses.mtl.json '"coupling_strength": 0.01'
    expect_contains projects/houses.mtl.json '"energy_class": "categorical"'
    "$MTL" check projects/houses.mtl.json >out 2>err; expect_status 0 $? "mtl check on the new project"
    (cd projects && "$MTL" train houses.mtl.json --epochs 3 --quiet --out ../run >../out 2>../err)
    expect_status 0 $? "train the new project from its own folder"
    "$MTL" init --csv data/houses.csv >out 2>err; expect_status 2 $? "init without tasks"
    expect_contains err "give at least one --task NAME=COLUMN"
    "$MTL" init --csv data/houses.csv --task p=pricee >out 2>err; expect_status 1 $? "init with an unknown column"
    expect_contains err "no column 'pricee' (columns: id, address, city,"
    ;;
balancing_multifashion)
    # Every balancing method trains MultiLeNet on a MultiFashion subset without diverging, and
    # says which method it uses; a bad method name is a usage error naming the valid ones.
    [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || { echo "SKIP: no dataset-fashion-mnist"; exit 0; }
    sed 's/"samples": 20000/"samples": 1500/' "$EXAMPLES/multifashion.mtl.json" >mf.mtl.json
    methods=$("$MTL" help balancing | awk '/^  [a-z_]+ — /{print $1}')
    [ "$(echo "$methods" | wc -w)" -ge 18 ] || fail "mtl help balancing lists $(echo "$methods" | wc -w) methods"
    for method in $methods pcgrad:space=representation cagrad:c=0.2; do
        "$MTL" train mf.mtl.json --epochs 2 --balancing "$method" --out "run-$method" >out 2>err
        expect_status 0 $? "mtl train --balancing $method"
        grep -q "^completed 2 epochs" out || fail "$method: did not complete ($(tail -1 out))"
        [ "$method" = static ] || expect_contains out "balancing: "
        first=$(awk '$1 == "1" && NF > 3 {print $2}' out)
        last=$(awk '$1 == "2" && NF > 3 {print $2}' out)
        awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < a) }' || fail "$method: left train loss $first -> $last"
    done
    "$MTL" train mf.mtl.json --balancing pcgrd >out 2>err
    expect_status 2 $? "an unknown method"
    expect_contains err "no balancing method 'pcgrd' (methods: static, equal, uncertainty"
    ;;
analyze)
    # A run's task relations: measured during training into relations.csv, then summarised,
    # with the affinity of the trained model and the groupings, as tables and CSV files.
    "$MTL" train "$EXAMPLES/synthetic-hard.mtl.json" --epochs 4 --quiet --out run >out 2>err
    expect_status 0 $? "mtl train"
    expect_contains run/relations.csv "step,epoch,layer,task_a,task_b,cosine,norm_a,norm_b"
    expect_line run/relations.csv "^25,1,all,task1,task2,-?[0-9.e-]+,[0-9.e-]+,[0-9.e-]+$"
    expect_line run/relations.csv "^25,1,shared1,task1,task3,"
    "$MTL" analyze run --affinity --batches 5 --groups 2 >out 2>err
    expect_status 0 $? "mtl analyze"
    expect_contains out "gradient cosine, mean over the run (all shared layers):"
    expect_line out "^  task1 +1\.000 +-?0\.[0-9]{3} +-?0\.[0-9]{3}$"
    expect_contains out "task affinity (a step on the row's task alone"
    expect_contains out "2 groups: {"
    for f in cosine.csv magnitude.csv affinity.csv groupings.csv; do [ -s "run/$f" ] || fail "no run/$f"; done
    expect_contains run/groupings.csv "relation,groups,grouping,score"
    mkdir empty
    "$MTL" analyze empty >out 2>err
    expect_status 1 $? "mtl analyze on a directory without a run"
    expect_contains err "empty/model.mtlmodel"
    ;;
fashion)
    [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || { echo "SKIP: no dataset-fashion-mnist"; exit 0; }
    for project in fashion-2task multifashion; do
        "$MTL" train "$EXAMPLES/$project.mtl.json" --epochs 2 --out "run-$project" >out 2>err
        expect_status 0 $? "mtl train $project"
        grep -q "accuracy" out || fail "$project: no accuracy reported"
    done
    ;;
architectures)
    # Learned task relationships: Ω printed after training and kept in the run's model file;
    # a mixture of experts on the houses prints which experts each task's gate used, keeps it in
    # the model file, and trains its single-task baselines (each a one-gate mixture);
    # a cross-stitch network on MultiFashion trains for an epoch.
    "$MTL" train "$EXAMPLES/relatedness-mtrl.mtl.json" --epochs 4 --out mtrl >out 2>err
    expect_status 0 $? "mtl train relatedness-mtrl"
    expect_contains out "learned task correlation (per_task):"
    grep -q '"covariances"' mtrl/model.mtlmodel || fail "no covariances in the model file"
    "$MTL" train "$EXAMPLES/houses-mmoe.mtl.json" --epochs 1 --baselines --out mmoe >out 2>err
    expect_status 0 $? "mtl train houses-mmoe --baselines"
    expect_contains out "expert use (gate, mean gate weights): expert1_act expert2_act expert3_act"
    grep -Eq '^  price: 0\.[0-9]{2} 0\.[0-9]{2} 0\.[0-9]{2}$' out || fail "no gate weights for price"
    grep -q '"gates"' mmoe/model.mtlmodel || fail "no gate use in the model file"
    expect_contains out "baseline"
    [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || { echo "SKIP: no dataset-fashion-mnist"; exit 0; }
    "$MTL" train "$EXAMPLES/multifashion-cross-stitch.mtl.json" --epochs 1 --out stitch >out 2>err
    expect_status 0 $? "mtl train multifashion-cross-stitch"
    grep -q "accuracy" out || fail "multifashion-cross-stitch: no accuracy reported"
    ;;
record)
    # A project of the user's records its runs as the app does; a bundled example never changes.
    cp "$EXAMPLES/synthetic-hard.mtl.json" p.mtl.json
    "$MTL" train p.mtl.json --epochs 2 --quiet >out 2>err; expect_status 0 $? "mtl train"
    expect_contains out "recorded as 'run 1' in p.mtl.json"
    for f in run.mtl.json metrics.csv steps.csv relations.csv model.mtlmodel; do
        [ -s "mtl-runs/p/run-1/$f" ] || fail "no mtl-runs/p/run-1/$f"
    done
    expect_contains p.mtl.json '"directory": "mtl-runs/p/run-1"'
    "$MTL" train p.mtl.json --epochs 2 --quiet --baselines >out 2>err; expect_status 0 $? "mtl train --baselines"
    expect_contains out "recorded as 'run 2' in p.mtl.json"
    expect_contains out "recorded as 'baseline task3' in p.mtl.json"
    expect_line out "^  task1  rmse +[0-9.]+ +[0-9.]+ +[-+][0-9.]+ %$"
    expect_line out "^Δm = [-+][0-9]+\.[0-9]{2} % \(multi-task learning (helped|did not help) on average\)$"
    "$MTL" train p.mtl.json --epochs 1 --quiet --no-record --out elsewhere >out 2>err; expect_status 0 $? "--no-record"
    [ "$(grep -c '"name": "run' p.mtl.json)" = 2 ] || fail "--no-record recorded the run"
    [ -s elsewhere/model.mtlmodel ] || fail "--no-record did not write the run"
    before=$(sha256sum "$EXAMPLES/synthetic-hard.mtl.json")
    "$MTL" train "$EXAMPLES/synthetic-hard.mtl.json" --epochs 1 >out 2>err; expect_status 0 $? "training an example"
    expect_contains out "not recorded in the project: it is a bundled example"
    [ "$(sha256sum "$EXAMPLES/synthetic-hard.mtl.json")" = "$before" ] || fail "the bundled example changed"
    ;;
experiment)
    # A grid over two methods and two seeds with baselines; resumed, it trains nothing again.
    cp "$EXAMPLES/synthetic-hard.mtl.json" p.mtl.json
    "$MTL" experiment p.mtl.json --methods ew,pcgrad --seeds 2 --baselines --epochs 2 >out 2>err
    expect_status 0 $? "mtl experiment"
    expect_contains out "experiment 1: 2 configurations × 2 seeds + single-task baselines = 10 runs"
    expect_contains out "[10/10] pcgrad · seed 2 …"
    expect_line out "^\| equal \| 2 \| [*0-9. ±]+ \| [*0-9. ±]+ \| [*0-9. ±]+ \| [*+-]+[0-9.]+ ± [0-9.]+\** \| [0-9.]+ \| [12] \|$"
    expect_line out "^\| single-task baselines \| 6 \|"
    expect_contains p.mtl.json '"directory": "mtl-runs/p/experiment-1"'
    "$MTL" check p.mtl.json >out 2>err; expect_status 0 $? "the recorded project is whole"
    expect_contains out "ok: 3 tasks"
    dir=mtl-runs/p/experiment-1
    for f in experiment.json project.mtl.json table.csv table.md table.tex 01-equal-seed-1/model.mtlmodel \
             baseline-task2-seed-2/metrics.csv; do
        [ -s "$dir/$f" ] || fail "no $dir/$f"
    done
    # The table against an independent reference written from the definitions (mean, sample std,
    # Δm after Maninis et al., rank), which reads only experiment.json.
    /usr/bin/python3 "$SOURCE/../experiments/reference_table.py" "$dir" >ref 2>&1 ||
        { cat ref >&2; fail "table.csv disagrees with the reference"; }
    cp "$dir/table.csv" first.csv
    "$MTL" experiment p.mtl.json >out 2>err; expect_status 0 $? "resuming the project's experiment"
    expect_contains out "resuming $dir: 10 of 10 runs done"
    cmp -s first.csv "$dir/table.csv" || fail "the resumed table differs"
    "$MTL" experiment p.mtl.json --out "$dir" --format csv --quiet >out 2>err; expect_status 0 $? "--format csv"
    expect_contains out "configuration,runs,task1_rmse_mean,task1_rmse_std"
    "$MTL" experiment p.mtl.json --out "$dir" --seeds 3 >out 2>err; expect_status 2 $? "a grid for a finished folder"
    expect_contains err "already holds an experiment"
    # Two runs side by side: a whole line per run as it finishes, the same reference check.
    "$MTL" experiment p.mtl.json --methods ew --seeds 2 --baselines --epochs 2 --at-once 2 --out two >out 2>err
    expect_status 0 $? "mtl experiment --at-once 2"
    expect_line out "^\[1/8\] [a-z0-9 ·]+: [0-9.]+ s, task"
    expect_line out "^\[8/8\] [a-z0-9 ·]+: [0-9.]+ s, task"
    /usr/bin/python3 "$SOURCE/../experiments/reference_table.py" two >ref 2>&1 ||
        { cat ref >&2; fail "the side-by-side table disagrees with the reference"; }
    "$MTL" experiment p.mtl.json --methods ew,pcgrd >out 2>err; expect_status 2 $? "an unknown method"
    expect_contains err "--methods: no balancing method 'pcgrd'"
    "$MTL" experiment p.mtl.json --methods ew --format html >out 2>err; expect_status 2 $? "an unknown format"
    expect_contains err "--format expects markdown, csv or latex"
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "PASS [$CASE]"
