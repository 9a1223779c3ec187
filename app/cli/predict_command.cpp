// mtl predict MODEL INPUT.csv [--out PRED.csv]: one row of predictions per input row.

#include "cli/arguments.h"
#include "cli/commands.h"

#include "data/csv_dataset.h"
#include "io/predictions_csv.h"
#include "predict/predictor.h"
#include "util/atomic_file.h"

#include <iostream>

namespace mtl::cli {

int predictCommand(const std::vector<std::string>& args) {
    const Arguments a(args, "predict", {"out"}, {"help"});
    if (a.flag("help")) {
        std::cout << kPredictHelp;
        return 0;
    }
    if (a.positionals().size() != 2) {
        throw UsageError("mtl predict needs a model file and an input CSV (see mtl predict --help)");
    }
    core::Predictor predictor = core::Predictor::fromFile(a.positionals()[0]);
    core::Index unknown = 0;
    const core::Matrix inputs = core::encodeCsvInputs(a.positionals()[1], predictor.model().schema(), &unknown);
    if (unknown > 0) {
        std::cerr << "mtl: warning: " << unknown
                  << " values were categories the model never saw; they count as none of its categories\n";
    }
    const std::string csv = core::predictionsCsv(predictor.model(), predictor.predict(inputs));
    if (const auto out = a.value("out")) {
        core::writeFileAtomically(*out, csv);
        std::cerr << "wrote " << inputs.rows() << " predictions to " << *out << "\n";
    } else {
        std::cout << csv;
    }
    return 0;
}

} // namespace mtl::cli
