// IDX files and the Fashion-MNIST datasets (read from Debian's dataset-fashion-mnist).

#include "data/fashion.h"
#include "data/idx_file.h"
#include "util/error.h"

#include <gtest/gtest.h>
#include <omp.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace mtl::core;
namespace fs = std::filesystem;

namespace {

class TempDir {
public:
    TempDir() : path(fs::temp_directory_path() / ("mtl-idx-" + std::to_string(::getpid()))) {
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path path;
};

std::string gzip(const fs::path& file, const std::string& bytes) {
    gzFile f = gzopen(file.c_str(), "wb");
    gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
    return file.string();
}

// An IDX array of unsigned bytes with the given dimensions, filled 0, 1, 2, …
std::string idx(const std::vector<int>& dims) {
    std::string bytes{0, 0, 8, char(dims.size())};
    std::size_t total = 1;
    for (int d : dims) {
        bytes += {char(d >> 24), char(d >> 16), char(d >> 8), char(d)};
        total *= std::size_t(d);
    }
    for (std::size_t i = 0; i < total; ++i) bytes += char(i % 251);
    return bytes;
}

std::string errorFor(const std::string& path) {
    try {
        readIdx(path);
    } catch (const mtl::FileError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted " << path;
    return "";
}

bool fashionInstalled() { return fs::exists(fashionMnistDirectory() + "/t10k-images-idx3-ubyte.gz"); }

} // namespace

TEST(IdxFile, ReadsGzipAndPlain) {
    TempDir dir;
    const IdxArray a = readIdx(gzip(dir.path / "a.gz", idx({3, 2, 2})));
    EXPECT_EQ(a.dims, (std::vector<int>{3, 2, 2}));
    ASSERT_EQ(a.data.size(), 12U);
    EXPECT_EQ(a.data[11], 11);
    std::ofstream(dir.path / "plain") << idx({5});
    EXPECT_EQ(readIdx((dir.path / "plain").string()).dims, std::vector<int>{5});
}

TEST(IdxFile, WrongMagic) {
    TempDir dir;
    std::string bytes = idx({4});
    bytes[2] = 0x0D; // float data
    const std::string path = gzip(dir.path / "f.gz", bytes);
    EXPECT_EQ(errorFor(path), path + ": not an IDX file of unsigned bytes (magic 0x00000d01, "
                                     "expected 0x000008 followed by 1 to 4 dimensions)");
}

TEST(IdxFile, TruncatedGzip) {
    TempDir dir;
    const std::string path = gzip(dir.path / "t.gz", idx({100, 28, 28}));
    fs::resize_file(path, fs::file_size(path) / 2);
    const std::string message = errorFor(path);
    EXPECT_EQ(message.rfind(path + ": ", 0), 0U) << message;
    EXPECT_TRUE(message.find("truncated") != std::string::npos ||
                message.find("damaged") != std::string::npos) << message;
}

TEST(IdxFile, TruncatedData) {
    TempDir dir;
    std::string bytes = idx({10, 4});
    bytes.resize(bytes.size() - 5);
    const std::string path = gzip(dir.path / "s.gz", bytes);
    EXPECT_EQ(errorFor(path), path + ": the file is truncated: the data needs 40 bytes, found 35");
}

TEST(MultiFashion, CompositionPlacesThePartnerAtSixSixAndKeepsTheMaximum) {
    std::vector<float> left(784, 0.5f), right(784, 1.0f), out(784, -1.0f);
    composeMultiFashion(left.data(), right.data(), out.data());
    EXPECT_EQ(out[0], 0.5f);            // canvas (0, 0): the left image only
    EXPECT_EQ(out[13 * 28 + 13], 1.0f); // canvas (17, 17): both overlap, the maximum wins
    EXPECT_EQ(out[27 * 28 + 27], 0.0f); // canvas (35, 35): beyond both images
    EXPECT_EQ(out[27 * 28 + 0], 0.0f);  // canvas (35, 0): below the left image, left of the right
    EXPECT_EQ(out[2 * 28 + 27], 0.0f);  // canvas (3, 35): above the right image
}

TEST(FashionDatasets, MissingPackageNamesIt) {
    TempDir dir;
    ::setenv("MTL_FASHION_MNIST_DIR", dir.path.c_str(), 1);
    try {
        loadFashionDataset({});
        ADD_FAILURE() << "loaded from an empty folder";
    } catch (const mtl::FileError& e) {
        EXPECT_NE(std::string(e.what()).find("install the Debian package dataset-fashion-mnist"),
                  std::string::npos) << e.what();
    }
    ::unsetenv("MTL_FASHION_MNIST_DIR");
}

TEST(FashionDatasets, ItemAndGroup) {
    if (!fashionInstalled()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    FashionSettings s;
    s.split = FashionSplit::Test;
    s.samples = 2000;
    const Dataset d = loadFashionDataset(s);
    EXPECT_EQ(d.rows(), 2000);
    EXPECT_EQ(d.schema.inputShape, (Shape{28, 28, 1}));
    EXPECT_EQ(d.schema.targets[0].classLabels.size(), 10U);
    EXPECT_EQ(d.schema.targets[1].classLabels, (std::vector<std::string>{"tops", "bottoms", "footwear", "bags"}));
    EXPECT_GE(d.inputs.minCoeff(), 0.0f);
    EXPECT_LE(d.inputs.maxCoeff(), 1.0f);
    EXPECT_GT(d.inputs.mean(), 0.1f);
    std::vector<int> seen(10, 0);
    for (Index i = 0; i < d.rows(); ++i) {
        const int item = int(d.targets(i, 0));
        ++seen[std::size_t(item)];
        const int group = int(d.targets(i, 1));
        const int expected = item == 1 ? 1 : (item == 5 || item == 7 || item == 9) ? 2 : item == 8 ? 3 : 0;
        EXPECT_EQ(group, expected) << "item " << item; // bottoms; sandal, sneaker, boot; bag; tops
    }
    for (int count : seen) EXPECT_GT(count, 100); // every class present
}

TEST(FashionDatasets, MultiFashionIsSeededAndLabelsTheLeftItem) {
    if (!fashionInstalled()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    FashionSettings s;
    s.tasks = FashionTasks::MultiFashion;
    s.split = FashionSplit::Test;
    s.samples = 500;
    const Dataset a = loadFashionDataset(s), b = loadFashionDataset(s);
    EXPECT_EQ(a.inputs, b.inputs);
    EXPECT_EQ(a.targets, b.targets);
    s.seed = 2;
    EXPECT_NE(loadFashionDataset(s).inputs, a.inputs);
    FashionSettings plain = s;
    plain.tasks = FashionTasks::ItemAndGroup;
    EXPECT_EQ(a.targets.col(0), loadFashionDataset(plain).targets.col(0));
    EXPECT_EQ(a.schema.targets[1].name, "right");
}

TEST(FashionDatasets, TrainAndTestHoldsTheTestImagesBackAsTheTestSplit) {
    if (!fashionInstalled())
        GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    FashionSettings s;
    s.tasks = FashionTasks::MultiFashion;
    s.samples = 300;
    s.split = FashionSplit::TrainAndTest;
    const Dataset both = loadFashionDataset(s);
    s.split = FashionSplit::Train;
    const Dataset train = loadFashionDataset(s);
    s.split = FashionSplit::Test;
    const Dataset test = loadFashionDataset(s);
    ASSERT_EQ(both.rows(), 600);
    EXPECT_EQ(both.testRows, 300);
    EXPECT_EQ(both.inputs.topRows(300), train.inputs);
    EXPECT_EQ(both.inputs.bottomRows(300), test.inputs);
    EXPECT_EQ(both.targets.bottomRows(300), test.targets);
}

// Images are written in parallel; the dataset must not depend on how many threads wrote it.
TEST(FashionDatasets, TheSameOnOneThreadAndOnTwo) {
    if (!fashionInstalled())
        GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    const int saved = omp_get_max_threads();
    for (FashionTasks tasks : {FashionTasks::MultiFashion, FashionTasks::ItemAndGroup}) {
        FashionSettings s;
        s.tasks = tasks;
        s.split = FashionSplit::TrainAndTest;
        s.samples = 1000;
        omp_set_num_threads(1);
        const Dataset one = loadFashionDataset(s);
        omp_set_num_threads(2);
        const Dataset two = loadFashionDataset(s);
        EXPECT_EQ(one.inputs, two.inputs);
        EXPECT_EQ(one.targets, two.targets);
        EXPECT_EQ(one.testRows, two.testRows);
    }
    omp_set_num_threads(saved);
}
