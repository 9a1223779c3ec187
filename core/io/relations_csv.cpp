#include "io/relations_csv.h"

#include "data/csv_dataset.h"
#include "data/csv_reader.h"
#include "io/csv_writing.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

namespace mtl::core {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<std::string> kHeader{"step",   "epoch",  "layer",  "task_a",
                                       "task_b", "cosine", "norm_a", "norm_b"};

} // namespace

std::string relationsCsv(const std::vector<RelationRecord>& records,
                         const std::vector<std::string>& tasks) {
    std::string out;
    for (std::size_t c = 0; c < kHeader.size(); ++c)
        out += (c == 0 ? "" : ",") + kHeader[c];
    out += "\n";
    for (const RelationRecord& r : records) {
        for (const RelationBlock& b : r.blocks) {
            for (int i = 0; i < r.tasks; ++i) {
                for (int j = i; j < r.tasks; ++j) {
                    out += std::to_string(r.step) + "," + std::to_string(r.epoch) + "," +
                           csvField(b.layer.empty() ? "all" : b.layer) + "," +
                           csvField(tasks[std::size_t(i)]) + "," + csvField(tasks[std::size_t(j)]) +
                           ",";
                    appendNumber(out, b.cosine[std::size_t(i * r.tasks + j)]);
                    out += ",";
                    appendNumber(out, b.norm[std::size_t(i)]);
                    out += ",";
                    appendNumber(out, b.norm[std::size_t(j)]);
                    out += "\n";
                }
            }
        }
    }
    return out;
}

void writeRelationsCsv(const std::vector<RelationRecord>& records,
                       const std::vector<std::string>& tasks, const std::string& path) {
    writeFileAtomically(path, relationsCsv(records, tasks));
}

std::vector<RelationRecord> readRelationsCsv(const std::string& path,
                                             const std::vector<std::string>& tasks) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError("cannot open '" + path + "'");
    CsvReader reader(in, path, ',');
    std::vector<std::string> fields;
    if (!reader.next(fields) || fields != kHeader) {
        throw FileError(
            path + ":1: expected the header step,epoch,layer,task_a,task_b,cosine,norm_a,norm_b");
    }
    const auto n = int(tasks.size());
    auto taskIndex = [&](const std::string& name, long line) {
        const auto it = std::find(tasks.begin(), tasks.end(), name);
        if (it == tasks.end())
            throw FileError(path + ":" + std::to_string(line) + ": unknown task '" + name + "'");
        return int(it - tasks.begin());
    };
    auto number = [&](const std::string& text, long line, bool optional) {
        if (text.empty() && optional)
            return kNaN;
        const auto v = parseNumber(text);
        if (!v)
            throw FileError(path + ":" + std::to_string(line) + ": '" + text + "' is not a number");
        return double(*v);
    };
    std::vector<RelationRecord> records;
    while (reader.next(fields)) {
        const long line = reader.recordLine();
        if (fields.size() != kHeader.size()) {
            throw FileError(path + ":" + std::to_string(line) + ": " +
                            std::to_string(fields.size()) + " fields, expected " +
                            std::to_string(kHeader.size()));
        }
        const auto step = long(number(fields[0], line, false));
        const std::string layer = fields[2] == "all" ? "" : fields[2];
        if (records.empty() || records.back().step != step) {
            RelationRecord r;
            r.step = step;
            r.epoch = int(number(fields[1], line, false));
            r.tasks = n;
            records.push_back(std::move(r));
        }
        RelationRecord& r = records.back();
        auto block = std::find_if(r.blocks.begin(), r.blocks.end(),
                                  [&](const RelationBlock& b) { return b.layer == layer; });
        if (block == r.blocks.end()) {
            r.blocks.push_back({layer, std::vector<double>(std::size_t(n * n), kNaN),
                                std::vector<double>(std::size_t(n), kNaN)});
            block = r.blocks.end() - 1;
        }
        const int a = taskIndex(fields[3], line), b = taskIndex(fields[4], line);
        const double cosine = number(fields[5], line, true);
        block->cosine[std::size_t(a * n + b)] = block->cosine[std::size_t(b * n + a)] = cosine;
        block->norm[std::size_t(a)] = number(fields[6], line, true);
        block->norm[std::size_t(b)] = number(fields[7], line, true);
    }
    return records;
}

} // namespace mtl::core
