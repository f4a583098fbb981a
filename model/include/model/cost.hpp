// Where a core's cycles go, by the software that spends them: the host (with KVM), EL3 (the
// monitor's world switches and GPT transitions), the RMM, the realm guest and the VMM. "What
// does CCA cost" answered per step (`cost.*` fields, `explain`), per core (--stats) and per run
// (final `stat: cost.*`).
#pragma once

#include "model/core.hpp"

namespace rmesim
{

enum Software : unsigned { SW_HOST, SW_EL3, SW_RMM, SW_REALM, SW_VMM, SW_COUNT };
static_assert(SW_COUNT <= Core::kAccounts);

inline const char *software_name(unsigned who)
{
    static const char *const names[SW_COUNT] = {"host", "el3", "rmm", "realm", "vmm"};
    return who < SW_COUNT ? names[who] : "?";
}

// The cycles spent in this scope are `who`'s; the account before it is restored after.
class Spending
{
  public:
    Spending(Core &core, Software who) : core_(core), saved_(core.account())
    {
        core.set_account(who);
    }
    ~Spending() { core_.set_account(saved_); }
    Spending(const Spending &) = delete;
    Spending &operator=(const Spending &) = delete;

  private:
    Core &core_;
    unsigned saved_;
};

} // namespace rmesim
