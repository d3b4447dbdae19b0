// The configuration loader: INI text in, a configuration or a list of errors out. Whatever the file holds, nothing
// crashes, and the effective configuration shows the password only as ********.
#include "FuzzInput.h"
#include "app/ConfigLoader.h"

#include <QFile>

#include <cstdlib>
#include <unistd.h>

namespace {

const QString &configPath()
{
    static const QString path = QStringLiteral("/tmp/garage-fuzz-config-%1.conf").arg(::getpid());
    return path;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    (void)configPath(); // constructed first, so it is destroyed after the handler below has run
    std::atexit([] { QFile::remove(configPath()); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString &path = configPath();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            std::abort();
        file.write(garage::fuzz::FuzzInput::all(data, size));
    }
    const auto result = garage::ConfigLoader::load(path);
    for (const auto &issue : result.errors + result.warnings)
        (void)issue.toString();
    // what --check-config prints for the password is the mask, whatever the password is
    for (const QString &line : result.effective)
        if (line.startsWith(QLatin1String("xmpp/password = ")) && line != QLatin1String("xmpp/password = ********")
            && line != QLatin1String("xmpp/password = "))
            std::abort();
    return 0;
}
