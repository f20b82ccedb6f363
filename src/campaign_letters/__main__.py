from campaign_letters.cli import main

main()
