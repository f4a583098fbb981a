// One event stream, many views (gem5's model): the platform and the software models emit the
// records of model/events.h to their core's sink; the VCD writer, the event log, the
// statistics, `explain` and the expectation judge subscribe. A new view is one class that
// implements on_event and is subscribed by the runner.
#pragma once

#include <vector>

#include "model/access_stats.hpp"

extern "C" {
#include "model/events.h"
}

namespace rmesim
{

class EventObserver
{
  public:
    virtual ~EventObserver() = default;
    virtual void on_event(const rme_event &e) = 0;

    // What the observer does with ACCESS records: reads them (the default), only counts each
    // (recording it in access_counts() is then all its on_event does with one), or ignores
    // them. When no observer of a stream reads them, an access is counted without a record
    // being made.
    enum class AccessUse { kReads, kCounts, kIgnores };
    virtual AccessUse access_use() const { return AccessUse::kReads; }
    // kCounts: where an access made on `core` is counted; the same object for the whole run.
    virtual AccessStats *access_counts(unsigned /*core*/) { return nullptr; }
};

class EventStream
{
  public:
    void subscribe(EventObserver &o)
    {
        observers_.push_back(&o);
        subscriptions_++;
        readers_ = counters_ = 0;
        for (EventObserver *v : observers_) {
            EventObserver::AccessUse use = v->access_use();
            readers_ += use == EventObserver::AccessUse::kReads;
            if (use == EventObserver::AccessUse::kCounts && !counters_++)
                counter_ = v;
        }
    }
    void emit(const rme_event &e) const
    {
        for (EventObserver *o : observers_)
            o->on_event(e);
    }
    // Whether an ACCESS record needs making: some observer reads it, or more than one counts it.
    bool access_record_wanted() const { return readers_ || counters_ > 1; }
    // Otherwise the one observer that counts accesses (nullptr: none does).
    EventObserver *access_counter() const
    {
        return access_record_wanted() || !counters_ ? nullptr : counter_;
    }
    // Changes with every subscription (what the two above answer may have changed).
    unsigned subscriptions() const { return subscriptions_; }

  private:
    std::vector<EventObserver *> observers_;
    unsigned subscriptions_ = 0, readers_ = 0, counters_ = 0;
    EventObserver *counter_ = nullptr;
};

// A core's sink: stamps each record with the core and the step it is running.
class EventSink
{
  public:
    EventSink() = default;
    EventSink(const EventStream &stream, unsigned core) : stream_(&stream), core_(core) {}
    unsigned core() const { return core_; }
    // The step running on the core from now on (nullptr: none); kept by the caller.
    void set_step(const rme_ev_step *step) { step_ = step; }
    const rme_ev_step *step() const { return step_; }
    // A record of `kind` over cycles [cycle, end]; fill its u.* member whole, then emit(). The
    // union is left as it is: zeroing it for every access cost more than the rest of the record.
    static rme_event make(rme_event_kind kind, uint64_t cycle, uint64_t end)
    {
        rme_event e;
        e.kind = kind;
        e.core = 0;
        e.cycle = cycle;
        e.end = end;
        e.step = nullptr;
        return e;
    }
    // Stamps the core, and the running step unless the record names its own.
    void emit(rme_event &e) const
    {
        e.core = core_;
        if (!e.step)
            e.step = step_;
        stream_->emit(e);
    }
    // An access finished over `cycles`: false when its ACCESS record must be made and emitted;
    // true when no observer reads such records (then the one that counts them, if any, has).
    bool counted_without_record(mmu_regime_kind regime, const rme_access &a, uint64_t cycles) const
    {
        if (!count_only())
            return false;
        if (counts_)
            counts_->record(regime, a, cycles);
        return true;
    }
    // The same for an access the L1 TLB answered with no walk, GPT lookup or fault.
    bool l1_hit_counted_without_record(mmu_regime_kind regime, const rme_access &a,
                                       uint64_t cycles) const
    {
        if (!count_only())
            return false;
        if (counts_)
            counts_->record_l1_hit(regime, a.cycles, cycles);
        return true;
    }

  private:
    // No observer reads ACCESS records (counts_: where the one that counts them does).
    bool count_only() const
    {
        if (seen_subscriptions_ != stream_->subscriptions()) {
            /* asked again only when the views change: every access comes here */
            seen_subscriptions_ = stream_->subscriptions();
            record_wanted_ = stream_->access_record_wanted();
            EventObserver *c = stream_->access_counter();
            counts_ = c ? c->access_counts(core_) : nullptr;
        }
        return !record_wanted_;
    }

    const EventStream *stream_ = nullptr;
    unsigned core_ = 0;
    const rme_ev_step *step_ = nullptr;
    // what the stream's views want of an access, as last asked
    mutable unsigned seen_subscriptions_ = 0;
    mutable bool record_wanted_ = false;
    mutable AccessStats *counts_ = nullptr;
};

} // namespace rmesim
