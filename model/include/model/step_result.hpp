// What one step observed, by the same names the scenario's expectations use
// ("result", "pa", "rec_exit.reason", ...). The STEP_END record carries it to the views.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rmesim
{

struct Observed {
    enum Kind { NUMBER, NAME, BOOL, STRING } kind = NUMBER;
    uint64_t number = 0;
    std::string text; // NAME (canonical spelling) or STRING
    bool flag = false;

    static Observed num(uint64_t v) { return {NUMBER, v, {}, false}; }
    static Observed name(const std::string &s) { return {NAME, 0, s, false}; }
    static Observed boolean(bool b) { return {BOOL, 0, {}, b}; }
    static Observed str(const std::string &s) { return {STRING, 0, s, false}; }
    std::string show() const;
};

// A step's fields by name: a flat list searched by a hash of the name, so setting one on every
// access costs no allocation and one string compare
// (a std::map keyed by std::string cost more than the access). Iterated in name order, as the
// views print them; find() and end() do not reorder, begin() sorts.
class FieldMap
{
  public:
    using value_type = std::pair<std::string, Observed>;
    using const_iterator = const value_type *;
    using iterator = value_type *;

    static constexpr uint64_t hash(std::string_view key)
    {
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a: folded at compile time for a literal */
        for (char c : key)
            h = (h ^ uint64_t(uint8_t(c))) * 0x100000001b3ull;
        return h;
    }
    Observed &at_key(std::string_view key, uint64_t h)
    {
        for (size_t i = 0; i < hashes_.size(); i++)
            if (hashes_[i] == h && items_[i].first == key)
                return items_[i].second;
        hashes_.push_back(h);
        items_.emplace_back(std::string(key), Observed{});
        sorted_ = items_.size() < 2;
        return items_.back().second;
    }
    Observed &operator[](std::string_view key) { return at_key(key, hash(key)); }
    const_iterator find(std::string_view key) const
    {
        uint64_t h = hash(key);
        for (size_t i = 0; i < hashes_.size(); i++)
            if (hashes_[i] == h && items_[i].first == key)
                return &items_[i];
        return end();
    }
    size_t count(std::string_view key) const { return find(key) != end() ? 1 : 0; }
    // Drops the field (an order-keeping erase: a sorted list stays sorted).
    void erase(std::string_view key)
    {
        size_t i = size_t(find(key) - items_.data());
        if (i == items_.size())
            return;
        items_.erase(items_.begin() + long(i));
        hashes_.erase(hashes_.begin() + long(i));
    }
    const_iterator begin() const
    {
        sort();
        return items_.data();
    }
    const_iterator end() const { return items_.data() + items_.size(); }
    size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    void clear()
    {
        items_.clear();
        hashes_.clear();
        sorted_ = true;
    }

  private:
    void sort() const
    {
        if (sorted_)
            return;
        std::vector<size_t> order(items_.size());
        for (size_t i = 0; i < order.size(); i++)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [this](size_t a, size_t b) { return items_[a].first < items_[b].first; });
        std::vector<value_type> items;
        std::vector<uint64_t> hashes;
        items.reserve(order.size());
        hashes.reserve(order.size());
        for (size_t i : order) {
            items.push_back(std::move(items_[i]));
            hashes.push_back(hashes_[i]);
        }
        items_ = std::move(items);
        hashes_ = std::move(hashes);
        sorted_ = true;
    }
    mutable std::vector<value_type> items_;
    mutable std::vector<uint64_t> hashes_;
    mutable bool sorted_ = true;
};

struct StepResult {
    std::string step_id;
    std::string actor, action;
    unsigned core = 0;
    unsigned index = 0; // 1.. the scenario's steps in order; 0 a realm's build
    uint64_t start_cycle = 0, cycles = 0;
    FieldMap fields;
    bool errored = false; // the step could not run as written: its expectations are not judged

    // A name given as a string literal: its length is known without strlen.
    template <size_t N> void set(const char (&path)[N], Observed v)
    {
        std::string_view key(path, N - 1);
        fields.at_key(key, FieldMap::hash(key)) = std::move(v);
    }
    void set(const std::string &path, Observed v) { fields[path] = std::move(v); }
};

// Wherever a step reports an ESR it reports its parts too: `esr`, `esr_ec`, `exception.ec` by
// name, and an abort's fault status code as `dfsc` (data) or `ifsc` (instruction); a GPC
// exception's xFSC under the one its InD bit names (Arm ARM D24.2, ESR_ELx).
void report_syndrome(StepResult &out, uint64_t esr);

} // namespace rmesim
