#pragma once
// Reading JSON documents with messages that name the file and the field:
//   "demo.mtl.json: model.nodes[2].units: expected a whole number, found "abc"".
// Every field a reader does not consume is reported back as an unknown field, so data from a
// newer version is never dropped silently.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mtl::core::io {

using Json = nlohmann::ordered_json;

// Where we are in a document, and the unknown fields found so far.
struct JsonContext {
    std::string fileName;
    std::vector<std::string> unknownFields; // "model.nodes[1].colour"
};

class JsonObject {
public:
    JsonObject(const Json& value, std::string path, JsonContext& context);
    // Reports the fields that were never read as unknown.
    ~JsonObject();
    JsonObject(const JsonObject&) = delete;
    JsonObject& operator=(const JsonObject&) = delete;
    JsonObject(JsonObject&&) noexcept;
    JsonObject& operator=(JsonObject&&) = delete;

    bool has(const char* key) const;
    std::string string(const char* key) const;
    std::string string(const char* key, const std::string& fallback) const;
    int integer(const char* key) const;
    int integer(const char* key, int fallback) const;
    std::uint64_t unsignedInteger(const char* key, std::uint64_t fallback) const;
    double number(const char* key) const;
    double number(const char* key, double fallback) const;
    // A number stored as float: refused when it is beyond float's range (it would become
    // infinite and could not be written back).
    float float32(const char* key, float fallback) const;
    bool boolean(const char* key, bool fallback) const;
    std::vector<std::string> strings(const char* key) const;
    std::vector<double> numbers(const char* key) const;
    JsonObject object(const char* key) const;
    std::vector<JsonObject> objects(const char* key) const;
    // Raw access for values this class has no reader for.
    const Json& raw(const char* key) const;

    [[noreturn]] void fail(const char* key, const std::string& message) const;
    const std::string& path() const { return m_path; }

private:
    const Json& field(const char* key) const; // throws if missing
    std::string fieldPath(const char* key) const;

    const Json* m_value;
    std::string m_path;
    JsonContext* m_context;
    mutable std::vector<std::string> m_read;
};

// The document's root object; throws FileError with line and column on a syntax error.
Json parseJson(const std::string& text, const std::string& fileName);

// A float written with the fewest digits that read back to the same float (0.001, not
// 0.0010000000474974513).
Json floatValue(float value);

} // namespace mtl::core::io
