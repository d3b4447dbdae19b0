#include "app/Watchdog.h"

namespace garage {

void Watchdog::add(const QString &name, Check check)
{
    m_checks.push_back({name, std::move(check)});
}

Watchdog::Verdict Watchdog::evaluate(std::chrono::steady_clock::time_point now)
{
    Verdict verdict;
    for (const Named &named : m_checks)
        if (const QString problem = named.check(now); !problem.isEmpty())
            verdict.problems << QStringLiteral("%1: %2").arg(named.name, problem);
    verdict.ping = verdict.problems.isEmpty();
    verdict.changed = verdict.problems != m_lastProblems;
    m_lastProblems = verdict.problems;
    return verdict;
}

} // namespace garage
