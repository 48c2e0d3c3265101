import Host

await PortolanEntryPoint.main()
