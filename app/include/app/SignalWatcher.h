// Turns SIGTERM/SIGINT/SIGHUP into a Qt signal on the event loop (self-pipe), so shutdown runs through the loop.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace garage {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void readSignal();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace garage
