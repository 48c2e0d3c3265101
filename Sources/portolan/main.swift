import Host

PortolanEntryPoint.useEventLoopsAsGlobalExecutor()
await PortolanEntryPoint.main()
