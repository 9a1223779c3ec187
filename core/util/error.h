#pragma once
// Every configuration-time failure of the core is an mtl::Error: files, user input, model specs.
// Messages name the place (file, line, column, node, property) and say what would be valid.

#include <stdexcept>
#include <string>

namespace mtl {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file could not be read or written, or its contents are malformed.
class FileError : public Error {
public:
    using Error::Error;
};

// A model spec that validate() rejects.
class SpecError : public Error {
public:
    using Error::Error;
};

// A setting (command line option, training setting) outside its valid range.
class SettingError : public Error {
public:
    using Error::Error;
};

// A model that cannot be exported as asked (never trained, diverged, an unknown task).
class ExportError : public Error {
public:
    using Error::Error;
};

} // namespace mtl
