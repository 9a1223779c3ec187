// predict_example MODEL.mtlmodel: loads a trained model and predicts every task for two rows of
// raw features (the second with a missing value). Built and run by the test suite
// (docs.cpp_inference), so docs/cpp-inference.md stays true.
#include "predict/predictor.h"
#include "util/error.h"

#include <cmath>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: predict_example MODEL.mtlmodel\n";
        return 2;
    }
    try {
        mtl::core::Predictor predictor = mtl::core::Predictor::fromFile(argv[1]);
        const mtl::core::Model& model = predictor.model();

        // Raw features, as in the training data; NaN marks a missing value.
        mtl::core::Matrix rows = mtl::core::Matrix::Constant(2, model.inputSize(), 0.5f);
        rows(1, 0) = NAN;

        const std::vector<mtl::core::Matrix> outputs = predictor.predict(rows);
        for (std::size_t t = 0; t < model.tasks().size(); ++t) {
            const mtl::core::TaskInfo& task = model.tasks()[t];
            const bool classification = task.loss == mtl::core::LossKind::SoftmaxCrossEntropy ||
                                        task.loss == mtl::core::LossKind::BinaryCrossEntropy;
            // Regression: values in the column's units. Classification: logits → probabilities.
            const mtl::core::Matrix values =
                classification ? mtl::core::probabilities(task.loss, outputs[t]) : outputs[t];
            std::cout << task.name << (classification ? " probabilities:" : " values:");
            for (mtl::core::Index r = 0; r < values.rows(); ++r) {
                std::cout << " [";
                for (mtl::core::Index c = 0; c < values.cols(); ++c) std::cout << (c ? " " : "") << values(r, c);
                std::cout << "]";
            }
            std::cout << "\n";
        }
        return 0;
    } catch (const mtl::Error& e) { // a missing, damaged or foreign file: the message names it
        std::cerr << "predict_example: " << e.what() << "\n";
        return 1;
    }
}
