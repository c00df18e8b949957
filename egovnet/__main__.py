from egovnet.cli import main

main()
