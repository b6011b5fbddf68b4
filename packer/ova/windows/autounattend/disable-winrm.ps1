# Undoes enable-winrm.ps1: the image ships without the build's WinRM listener or firewall rule.
Remove-NetFirewallRule -Name image-builder-winrm -ErrorAction SilentlyContinue
Set-Item -Path WSMan:\localhost\Service\AllowUnencrypted -Value $false
Get-ChildItem WSMan:\localhost\Listener | Remove-Item -Recurse
Set-Service WinRM -StartupType Manual
