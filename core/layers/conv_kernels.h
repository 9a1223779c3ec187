#pragma once
// Direct convolution kernels for layers with few filters, one sample at a time, channels-last.
//
// With 10 or 20 filters, im2col + a general matrix product wastes most of the product: the
// filter dimension is too narrow for the product's register blocks, and packing the im2col
// matrix costs as much as multiplying it. These kernels read the windows straight from the
// (zero-padded) image and keep a block of outputs in vector registers, one vector per 16
// filters: the forward pass blocks 8 neighbouring output positions, the weight gradient a block
// of kernel entries summed over every position, the input gradient one kernel row of a window
// (kernel · channels contiguous floats) at a time.
//
// Layouts: image [paddedHeight, paddedWidth, channels]; kernel entry e = (ky · kernel + kx) ·
// channels + c; weights padded to whole vectors of filters, kpad [patch, paddedFilters]; the
// transposed kernel for the input gradient kt [kernel ky][filters][paddedRun] with run = kernel
// · channels floats of one window row (zero beyond run).

#include "util/tensor.h"

#include <vector>

namespace mtl::core::conv {

// Widest layer the kernels take (three vectors of filters); wider ones use im2col + Eigen.
constexpr int kMaxFilters = 48;

struct Geometry {
    int height = 0, width = 0, channels = 0; // input
    int filters = 0, kernel = 0, stride = 1, padding = 0;
    int outHeight = 0, outWidth = 0;

    int paddedHeight() const { return height + 2 * padding; }
    int paddedWidth() const { return width + 2 * padding; }
    Index imageFloats() const { return Index{paddedHeight()} * paddedWidth() * channels; }
    Index rowFloats() const { return Index{paddedWidth()} * channels; }
    Index runFloats() const { return Index{kernel} * channels; }
    Index paddedRun() const;
    Index patch() const { return runFloats() * kernel; }
    Index positions() const { return Index{outHeight} * outWidth; }
    int vectors() const; // vectors of 16 filters
    Index paddedFilters() const;
};

// Offset of every kernel entry from its window's top-left float in the padded image.
std::vector<Index> entryOffsets(const Geometry& g);

// Copies one image (height · width · channels) into the interior of `padded`, whose border is
// zero, and returns it; with no padding returns x itself.
const float* padImage(const Geometry& g, const float* x, float* padded);

// y [positions, filters] = windows · K + b.
void forwardSample(const Geometry& g, const float* image, const float* kpad, const float* bpad,
                   float* y);

// gpad [positions, paddedFilters] = dy [positions, filters] with zero padding lanes.
void padFilters(const Geometry& g, const float* dy, float* gpad);

// dk [patch, paddedFilters] += Σ_p window_p ⊗ gpad_p, where gpad is dy [positions,
// paddedFilters] with zero padding lanes; db [paddedFilters] += Σ_p gpad_p.
void weightGradientSample(const Geometry& g, const Index* offsets, const float* image,
                          const float* gpad, float* dk, float* db);

// dImage [padded image] += the gradient of dy [positions, filters] with respect to the image.
void inputGradientSample(const Geometry& g, const float* dy, const float* kt, float* dImage);

} // namespace mtl::core::conv
