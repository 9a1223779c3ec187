#include "io/json_fields.h"

#include "util/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace mtl::core::io {
namespace {

std::string describe(const Json& v) {
    std::string text = v.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
}

} // namespace

JsonObject::JsonObject(const Json& value, std::string path, JsonContext& context)
    : m_value(&value), m_path(std::move(path)), m_context(&context) {
    if (!value.is_object()) {
        throw FileError(context.fileName + ": " + (m_path.empty() ? "the document" : m_path) +
                        ": expected an object {…}, found " + describe(value));
    }
}

JsonObject::JsonObject(JsonObject&& other) noexcept
    : m_value(other.m_value), m_path(std::move(other.m_path)), m_context(other.m_context),
      m_read(std::move(other.m_read)) {
    other.m_value = nullptr;
}

JsonObject::~JsonObject() {
    if (m_value == nullptr || std::uncaught_exceptions() > 0) return;
    for (const auto& [key, v] : m_value->items()) {
        if (std::find(m_read.begin(), m_read.end(), key) == m_read.end()) {
            m_context->unknownFields.push_back(fieldPath(key.c_str()));
        }
    }
}

std::string JsonObject::fieldPath(const char* key) const {
    return m_path.empty() ? std::string(key) : m_path + "." + key;
}

void JsonObject::fail(const char* key, const std::string& message) const {
    throw FileError(m_context->fileName + ": " + fieldPath(key) + ": " + message);
}

bool JsonObject::has(const char* key) const {
    m_read.emplace_back(key);
    return m_value->contains(key);
}

const Json& JsonObject::field(const char* key) const {
    m_read.emplace_back(key);
    auto it = m_value->find(key);
    if (it == m_value->end()) fail(key, "missing field");
    return *it;
}

const Json& JsonObject::raw(const char* key) const { return field(key); }

std::string JsonObject::string(const char* key) const {
    const Json& v = field(key);
    if (!v.is_string()) fail(key, "expected a string, found " + describe(v));
    return v.get<std::string>();
}

std::string JsonObject::string(const char* key, const std::string& fallback) const {
    return has(key) ? string(key) : fallback;
}

int JsonObject::integer(const char* key) const {
    const Json& v = field(key);
    if (!v.is_number_integer()) fail(key, "expected a whole number, found " + describe(v));
    const auto value = v.get<std::int64_t>();
    if (value < -2147483647 || value > 2147483647) fail(key, "the number is too large");
    return static_cast<int>(value);
}

int JsonObject::integer(const char* key, int fallback) const {
    return has(key) ? integer(key) : fallback;
}

std::uint64_t JsonObject::unsignedInteger(const char* key, std::uint64_t fallback) const {
    if (!has(key)) return fallback;
    const Json& v = field(key);
    if (!v.is_number_unsigned()) fail(key, "expected a whole number ≥ 0, found " + describe(v));
    return v.get<std::uint64_t>();
}

double JsonObject::number(const char* key) const {
    const Json& v = field(key);
    if (!v.is_number()) fail(key, "expected a number, found " + describe(v));
    return v.get<double>();
}

double JsonObject::number(const char* key, double fallback) const {
    return has(key) ? number(key) : fallback;
}

float JsonObject::float32(const char* key, float fallback) const {
    const double value = number(key, fallback);
    if (std::abs(value) > double(std::numeric_limits<float>::max())) {
        fail(key, "the number is too large (at most ±3.4e38)");
    }
    return static_cast<float>(value);
}

bool JsonObject::boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    const Json& v = field(key);
    if (!v.is_boolean()) fail(key, "expected true or false, found " + describe(v));
    return v.get<bool>();
}

std::vector<std::string> JsonObject::strings(const char* key) const {
    const Json& v = field(key);
    if (!v.is_array()) fail(key, "expected a list of strings, found " + describe(v));
    std::vector<std::string> out;
    for (const Json& item : v) {
        if (!item.is_string()) fail(key, "expected a list of strings, found " + describe(item));
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::vector<double> JsonObject::numbers(const char* key) const {
    const Json& v = field(key);
    if (!v.is_array()) fail(key, "expected a list of numbers, found " + describe(v));
    std::vector<double> out;
    out.reserve(v.size());
    for (const Json& item : v) {
        if (!item.is_number()) fail(key, "expected a list of numbers, found " + describe(item));
        out.push_back(item.get<double>());
    }
    return out;
}

JsonObject JsonObject::object(const char* key) const {
    return JsonObject(field(key), fieldPath(key), *m_context);
}

std::vector<JsonObject> JsonObject::objects(const char* key) const {
    const Json& v = field(key);
    if (!v.is_array()) fail(key, "expected a list, found " + describe(v));
    std::vector<JsonObject> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        out.emplace_back(v[i], fieldPath(key) + "[" + std::to_string(i) + "]", *m_context);
    }
    return out;
}

Json parseJson(const std::string& text, const std::string& fileName) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        // Byte offset → line and column, counted from 1.
        const std::size_t offset = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < offset; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string what = e.what();
        const auto colon = what.rfind(": ");
        if (colon != std::string::npos) what = what.substr(colon + 2);
        throw FileError(fileName + ":" + std::to_string(line) + ":" + std::to_string(column) +
                        ": not valid JSON: " + what);
    } catch (const Json::exception& e) {
        // Other parser failures (a number too large for a double) carry no position.
        std::string what = e.what();
        const auto bracket = what.find("] ");
        if (bracket != std::string::npos) what = what.substr(bracket + 2);
        throw FileError(fileName + ": not valid JSON: " + what);
    }
}

Json floatValue(float value) {
    if (!std::isfinite(value)) return Json(nullptr);
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    double shortest = 0.0;
    std::from_chars(buffer, result.ptr, shortest);
    return Json(shortest);
}

} // namespace mtl::core::io
