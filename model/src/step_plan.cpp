#include "model/step_plan.hpp"

#include <algorithm>

namespace rmesim
{

StepPlan::StepPlan(const scenario &s) : top_(s.steps)
{
    std::vector<uint64_t> times;
    uint64_t ordinal = 0;
    total_ = index_list(s.steps, s.n_steps, times, ordinal);
}

// One step list: its items' names and how many steps each runs (the loader bounds the total by
// SCN_MAX_STEPS_RUN, so no sum overflows).
uint64_t StepPlan::index_list(const scn_step *items, size_t n, std::vector<uint64_t> &times,
                              uint64_t &ordinal)
{
    List list{items, n, {0}};
    for (size_t i = 0; i < n; i++) {
        const scn_step &st = items[i];
        uint64_t runs = 1;
        if (st.action.kind == SCN_ACT_REPEAT) {
            times.push_back(st.action.times);
            runs = st.action.times *
                   index_list(st.action.children, st.action.n_children, times, ordinal);
            times.pop_back();
            if (st.id)
                info_[&st] = {st.id, times};
        } else if (st.action.kind == SCN_ACT_PARALLEL) {
            runs = st.action.n_children;
            for (size_t j = 0; j < st.action.n_children; j++) {
                const scn_step &one = st.action.children[j];
                std::string name = one.id ? one.id : "step" + std::to_string(++ordinal);
                if (one.id)
                    ++ordinal;
                info_[&one] = {name, times};
                by_base_.emplace(name, &one);
            }
        } else {
            std::string name = st.id ? st.id : "step" + std::to_string(++ordinal);
            if (st.id)
                ++ordinal;
            info_[&st] = {name, times};
            by_base_.emplace(name, &st);
        }
        list.before.push_back(list.before.back() + runs);
    }
    uint64_t total = list.before.back();
    if (n)
        lists_[items] = std::move(list);
    return total;
}

const scn_step *StepPlan::at(uint64_t index, std::string *name) const
{
    if (index < 1 || index > total_)
        return nullptr;
    uint64_t left = index - 1;
    std::string iterations;
    const List *list = &lists_.at(top_);
    for (;;) {
        /* the item whose steps hold `left` */
        size_t i = size_t(std::upper_bound(list->before.begin(), list->before.end(), left) -
                          list->before.begin()) -
                   1;
        const scn_step &st = list->items[i];
        left -= list->before[i];
        if (st.action.kind == SCN_ACT_REPEAT) {
            const List &body = lists_.at(st.action.children);
            uint64_t per = body.before.back();
            iterations = suffix(iterations, left / per + 1);
            left %= per;
            list = &body;
            continue;
        }
        const scn_step *one = st.action.kind == SCN_ACT_PARALLEL ? &st.action.children[left] : &st;
        if (name)
            *name = info_.at(one).base + iterations;
        return one;
    }
}

bool StepPlan::has(const std::string &name) const
{
    size_t hash = name.find('#');
    auto it = by_base_.find(name.substr(0, hash));
    if (it == by_base_.end())
        return false;
    const std::vector<uint64_t> &times = info_.at(it->second).times;
    if (hash == std::string::npos)
        return times.empty();
    /* k.j...: one iteration per repeat around the step, each 1..times, in decimal */
    size_t at = hash + 1;
    for (size_t level = 0; level < times.size(); level++) {
        size_t end = name.find('.', at);
        std::string k = name.substr(at, end == std::string::npos ? end : end - at);
        if (k.empty() || k.size() > 10 || k.find_first_not_of("0123456789") != std::string::npos ||
            k[0] == '0' || std::stoull(k) > times[level])
            return false;
        if ((end == std::string::npos) != (level + 1 == times.size()))
            return false;
        at = end + 1;
    }
    return !times.empty();
}

std::string StepPlan::listing(const scn_step &step) const
{
    const Info &info = info_.at(&step);
    std::string out = info.base;
    for (size_t i = 0; i < info.times.size(); i++)
        out += (i ? ".1.." : "#1..") + std::to_string(info.times[i]);
    return out;
}

} // namespace rmesim
