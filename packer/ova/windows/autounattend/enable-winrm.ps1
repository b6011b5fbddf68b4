# WinRM for packer's communicator (HTTP on 5985, NTLM; the build network only). disable-winrm.ps1
# and sysprep.ps1 undo it before the image is sealed.
$ErrorActionPreference = "Stop"
Get-NetConnectionProfile | Set-NetConnectionProfile -NetworkCategory Private
Enable-PSRemoting -Force -SkipNetworkProfileCheck
Set-Item -Path WSMan:\localhost\Service\AllowUnencrypted -Value $true
Set-Item -Path WSMan:\localhost\Service\Auth\Basic -Value $false
Set-Item -Path WSMan:\localhost\MaxTimeoutms -Value 1800000
New-NetFirewallRule -Name image-builder-winrm -DisplayName "WinRM (image-builder build)" -Protocol TCP -LocalPort 5985 -Action Allow | Out-Null
Restart-Service WinRM
